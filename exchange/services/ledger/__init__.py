"""Time credits: the one writer of transfers and their limits (`transfers`), the network's rules,
gifts, welcome grants and corrections, and members' statements."""
