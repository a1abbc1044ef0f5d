"""Word lists and ACLED rules for the time stage (see README.md)."""
