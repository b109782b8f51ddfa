"""Name handling engines. Plain Python: no Django import."""
