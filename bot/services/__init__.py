"""Services: the bot's features, written once, independent of any platform."""
