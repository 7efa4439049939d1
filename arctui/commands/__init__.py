"""The CLI subcommands, one module per command or group."""
