"""The bundled console themes (one ``*.toml`` a theme), installed as package ``arctui_themes``
so that ``arctui.locations`` finds them in a wheel install as in a source checkout."""
