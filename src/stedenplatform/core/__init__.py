"""What every module shares: organisations, people and roles, geography, the
audit log, errors, charts, PDF and the page shell."""
