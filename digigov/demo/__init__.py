"""The demo city 本溪市: one entry point that asks each domain to load its demo data, in dependency order."""
