"""`natmon` sub-commands; each module exposes register(app)."""
