"""Keeping the network healthy: who may act on what (`rights`), coordinators' acts, reports, and
the log every act writes (`audit`)."""
