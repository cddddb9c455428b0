"""The incidents pages, one module per part: interactions (with disclosures and retention) and cases."""
