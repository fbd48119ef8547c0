DROP TABLE login_throttle;
DROP TABLE sessions;
DROP TABLE user_posts;
DROP TABLE users;
