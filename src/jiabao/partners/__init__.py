"""Partner distribution network (合伙型分销网络): partners, hierarchy, licences, attribution, commissions."""
