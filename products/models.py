"""Village product registry: BUMDes and their products (built in the registry issue)."""
