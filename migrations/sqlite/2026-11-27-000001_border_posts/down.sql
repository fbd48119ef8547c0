DROP TABLE border_posts;
