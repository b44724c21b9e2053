"""Learning records (issue 15): xAPI settings, statements read back from an LRS or a file,
and the item-analysis report for L&D."""
