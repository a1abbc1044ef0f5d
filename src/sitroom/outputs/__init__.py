"""Everything sitroom writes out, read from the store: column declarations, the ACLED columns derived from an event, filters, formats and the data dictionary."""
