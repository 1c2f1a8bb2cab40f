"""GMMP: the shared platform of the Moroccan-French Permanent Joint Migration Group."""
