"""The bundled sample region and the local "internet" that serves it for `natmon demo` and tests."""
