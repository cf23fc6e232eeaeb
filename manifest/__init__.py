"""The Teams app package: manifest template, icons, English strings and the builder."""
