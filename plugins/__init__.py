"""The bundled plugins, registered through the `arctui` entry-point group like any other."""
