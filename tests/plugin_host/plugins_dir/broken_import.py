"""A plugin whose import fails: must be reported by name, not crash arctui."""

import a_module_that_does_not_exist  # noqa: F401
