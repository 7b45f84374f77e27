"""One module per section of the replication report: seed essay, passage models, UN General Debate, White House."""
