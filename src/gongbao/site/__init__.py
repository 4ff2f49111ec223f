"""gongbao.site: the public web site (Django apps wrap the framework-free parts here)."""
