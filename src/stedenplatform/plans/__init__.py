"""Plan follow-up: the Kenniscentrum's jaarplan and the cities' meerjarenplannen
as a tree of items whose status and progress are reported in rounds, with
kwesties, indicators, working groups, reports and a dashboard."""
