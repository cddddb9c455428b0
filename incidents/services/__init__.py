"""Writes of the incidents app, one module per concern."""
