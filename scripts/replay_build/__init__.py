"""Per-source builders of the replay snapshot: each module's `build(real_dir, out_dir)` writes wire-format files."""
