"""Reads of the incidents app, one module per concern; who may see what is in ``incidents.access``."""
