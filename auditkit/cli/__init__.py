"""The command-line interface: thin Click wrappers over the library."""
