"""The people service: who is in the PersonTestTable, and who has a middle initial."""
