"""Synthetic, reproducible demo data: organisations, accounts, incidents and everything the FG
did with them. No real personal data."""
