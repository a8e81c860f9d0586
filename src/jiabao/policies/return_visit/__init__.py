"""Return visits (回访): the electronic visit and its success rates."""
