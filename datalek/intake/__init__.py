"""The employee's report: the situations an employee recognises, the validated answers,
identifiers found in free text and the employee's choice to replace or keep them, what to do
right away, and the e-mail that tells the FG. Pure: no database, no accounts."""
