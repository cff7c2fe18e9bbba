"""What Archipel holds about a member: taking it (export) and leaving (erasure)."""
