"""The More destination: crew, locations, notes, reports, pairing, export and about."""
