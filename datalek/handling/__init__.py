"""The FG's work on one incident: storing and reading it, its statuses, the assessment (facts
and advice, in versions), the motivated decision, what the register still needs before closing,
repeats and retention."""
