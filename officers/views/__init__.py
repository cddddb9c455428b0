"""Officers' pages, one module per part of selection: people, selection, training, assignments."""
