"""Family risk assessment and advice (家庭风险评估与智能推荐): needs, gaps, score, plan and dynamic adjustment."""
