"""Where notices come from, read as plain Python (no Django): Interpol's public API responses and its
crawler, OpenSanctions FollowTheMoney lines. The notices app stores and screens what they read."""
