"""Microsoft 365 adapters over msgraph-sdk and azure-identity."""
