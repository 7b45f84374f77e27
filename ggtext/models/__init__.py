"""Models: passage classifiers for stance and framing, their features, training and files."""
