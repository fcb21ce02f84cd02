"""The built-in jinja2 templates; installed as the package ``generator.templates``."""
