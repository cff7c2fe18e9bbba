"""An exchange from proposal to settlement (`lifecycle`), its disputes, and the reads of the
exchanges pages (`queries`)."""
