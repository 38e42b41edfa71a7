"""The registry, the HTTP policy, the store, the nightly job and the CLI."""
