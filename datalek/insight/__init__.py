"""Figures, never rows: the roll-up behind the dashboard, small numbers hidden, charts, the
yearly verantwoording, and the Art. 33(5) register export for the FG."""
