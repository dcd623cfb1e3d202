-- Phorum 5.2's tables (mysql layer, release 5.2.18), as a board first installed under 5.1 and
-- upgraded has them: the tables from 5.1 (messages, users, files, edit track) still in latin1,
-- the ones 5.2 created or that were converted in utf8. {prefix} is the table prefix
-- ("phorum_" by default). Written from shared/phorum/README.md for the fixture board; the
-- reader needs only the columns it names.

CREATE TABLE {prefix}forums (
  forum_id int unsigned NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL DEFAULT '',
  active smallint NOT NULL DEFAULT 0,
  description text NOT NULL,
  template varchar(50) NOT NULL DEFAULT '',
  folder_flag tinyint(1) NOT NULL DEFAULT 0,
  parent_id int unsigned NOT NULL DEFAULT 0,
  list_length_flat int unsigned NOT NULL DEFAULT 0,
  list_length_threaded int unsigned NOT NULL DEFAULT 0,
  moderation int unsigned NOT NULL DEFAULT 0,
  threaded_list tinyint(4) NOT NULL DEFAULT 0,
  threaded_read tinyint(4) NOT NULL DEFAULT 0,
  float_to_top tinyint(4) NOT NULL DEFAULT 0,
  check_duplicate tinyint(4) NOT NULL DEFAULT 0,
  allow_attachment_types varchar(100) NOT NULL DEFAULT '',
  max_attachment_size int unsigned NOT NULL DEFAULT 0,
  max_totalattachment_size int unsigned NOT NULL DEFAULT 0,
  max_attachments int unsigned NOT NULL DEFAULT 0,
  pub_perms int unsigned NOT NULL DEFAULT 0,
  reg_perms int unsigned NOT NULL DEFAULT 0,
  display_ip_address smallint NOT NULL DEFAULT 1,
  allow_email_notify smallint NOT NULL DEFAULT 1,
  language varchar(100) NOT NULL DEFAULT '',
  email_moderators tinyint(1) NOT NULL DEFAULT 0,
  message_count int unsigned NOT NULL DEFAULT 0,
  sticky_count int unsigned NOT NULL DEFAULT 0,
  thread_count int unsigned NOT NULL DEFAULT 0,
  last_post_time int unsigned NOT NULL DEFAULT 0,
  display_order int unsigned NOT NULL DEFAULT 0,
  read_length int unsigned NOT NULL DEFAULT 0,
  vroot int unsigned NOT NULL DEFAULT 0,
  edit_post tinyint(1) NOT NULL DEFAULT 1,
  template_settings text NOT NULL,
  forum_path text NOT NULL,
  count_views tinyint(1) NOT NULL DEFAULT 0,
  count_views_per_thread tinyint(1) NOT NULL DEFAULT 0,
  display_fixed tinyint(1) NOT NULL DEFAULT 0,
  reverse_threading tinyint(1) NOT NULL DEFAULT 0,
  inherit_id int unsigned NULL DEFAULT NULL,
  cache_version int unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (forum_id),
  KEY name (name),
  KEY active (active, parent_id),
  KEY group_id (parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}messages (
  message_id int unsigned NOT NULL AUTO_INCREMENT,
  forum_id int unsigned NOT NULL DEFAULT 0,
  thread int unsigned NOT NULL DEFAULT 0,
  parent_id int unsigned NOT NULL DEFAULT 0,
  user_id int unsigned NOT NULL DEFAULT 0,
  author varchar(255) NOT NULL DEFAULT '',
  subject varchar(255) NOT NULL DEFAULT '',
  body mediumtext NOT NULL,
  email varchar(100) NOT NULL DEFAULT '',
  ip varchar(255) NOT NULL DEFAULT '',
  status tinyint(4) NOT NULL DEFAULT 2,
  msgid varchar(100) NOT NULL DEFAULT '',
  modifystamp int unsigned NOT NULL DEFAULT 0,
  thread_count int unsigned NOT NULL DEFAULT 0,
  moderator_post tinyint(3) unsigned NOT NULL DEFAULT 0,
  sort tinyint(4) NOT NULL DEFAULT 2,
  datestamp int unsigned NOT NULL DEFAULT 0,
  meta mediumtext NULL,
  viewcount int unsigned NOT NULL DEFAULT 0,
  threadviewcount int unsigned NOT NULL DEFAULT 0,
  closed tinyint(4) NOT NULL DEFAULT 0,
  recent_message_id int unsigned NOT NULL DEFAULT 0,
  recent_user_id int unsigned NOT NULL DEFAULT 0,
  recent_author varchar(255) NOT NULL DEFAULT '',
  moved tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (message_id),
  KEY thread_message (thread, message_id),
  KEY thread_forum (thread, forum_id),
  KEY special_threads (sort, forum_id),
  KEY status_forum (status, forum_id),
  KEY list_page_float (forum_id, parent_id, modifystamp),
  KEY list_page_flat (forum_id, parent_id, thread),
  KEY post_count (forum_id, status, parent_id),
  KEY dup_check (forum_id, author(50), subject, datestamp),
  KEY forum_max_message (forum_id, message_id, status, parent_id),
  KEY last_post_time (forum_id, status, modifystamp),
  KEY next_prev_thread (forum_id, status, thread),
  KEY recent_user_id (recent_user_id),
  KEY user_messages (user_id, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE {prefix}messages_edittrack (
  track_id int unsigned NOT NULL AUTO_INCREMENT,
  message_id int unsigned NOT NULL,
  user_id int unsigned NOT NULL,
  time int unsigned NOT NULL,
  diff_body mediumtext NULL,
  diff_subject mediumtext NULL,
  PRIMARY KEY (track_id),
  KEY message_id (message_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE {prefix}users (
  user_id int unsigned NOT NULL AUTO_INCREMENT,
  username varchar(50) NOT NULL DEFAULT '',
  real_name varchar(255) NOT NULL DEFAULT '',
  display_name varchar(255) NOT NULL DEFAULT '',
  password varchar(50) NOT NULL DEFAULT '',
  password_temp varchar(50) NOT NULL DEFAULT '',
  sessid_lt varchar(50) NOT NULL DEFAULT '',
  sessid_st varchar(50) NOT NULL DEFAULT '',
  sessid_st_timeout int unsigned NOT NULL DEFAULT 0,
  email varchar(100) NOT NULL DEFAULT '',
  email_temp varchar(110) NOT NULL DEFAULT '',
  hide_email tinyint(1) NOT NULL DEFAULT 1,
  active tinyint(1) NOT NULL DEFAULT 0,
  signature text NOT NULL,
  threaded_list tinyint(4) NOT NULL DEFAULT 0,
  posts int NOT NULL DEFAULT 0,
  admin tinyint(1) NOT NULL DEFAULT 0,
  threaded_read tinyint(4) NOT NULL DEFAULT 0,
  date_added int unsigned NOT NULL DEFAULT 0,
  date_last_active int unsigned NOT NULL DEFAULT 0,
  last_active_forum int unsigned NOT NULL DEFAULT 0,
  hide_activity tinyint(1) NOT NULL DEFAULT 0,
  show_signature tinyint(1) NOT NULL DEFAULT 0,
  email_notify tinyint(1) NOT NULL DEFAULT 0,
  pm_email_notify tinyint(1) NOT NULL DEFAULT 1,
  tz_offset float(4,2) NOT NULL DEFAULT -99.00,
  is_dst tinyint(1) NOT NULL DEFAULT 0,
  user_language varchar(100) NOT NULL DEFAULT '',
  user_template varchar(100) NOT NULL DEFAULT '',
  moderator_data text NOT NULL,
  moderation_email tinyint(2) unsigned NOT NULL DEFAULT 1,
  settings_data mediumtext NOT NULL,
  PRIMARY KEY (user_id),
  UNIQUE KEY username (username),
  KEY active (active),
  KEY userpass (username, password),
  KEY sessid_st (sessid_st),
  KEY sessid_lt (sessid_lt),
  KEY activity (date_last_active, hide_activity, last_active_forum),
  KEY date_added (date_added),
  KEY email_temp (email_temp)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE {prefix}files (
  file_id int unsigned NOT NULL AUTO_INCREMENT,
  user_id int unsigned NOT NULL DEFAULT 0,
  filename varchar(255) NOT NULL DEFAULT '',
  filesize int unsigned NOT NULL DEFAULT 0,
  file_data mediumtext NOT NULL,
  add_datetime int unsigned NOT NULL DEFAULT 0,
  message_id int unsigned NOT NULL DEFAULT 0,
  link varchar(10) NOT NULL DEFAULT '',
  PRIMARY KEY (file_id),
  KEY add_datetime (add_datetime),
  KEY message_id_link (message_id, link),
  KEY user_id_link (user_id, link)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE {prefix}search (
  message_id int unsigned NOT NULL DEFAULT 0,
  forum_id int unsigned NOT NULL DEFAULT 0,
  search_text mediumtext NOT NULL,
  PRIMARY KEY (message_id),
  KEY forum_id (forum_id),
  FULLTEXT KEY search_text (search_text)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}subscribers (
  user_id int unsigned NOT NULL DEFAULT 0,
  forum_id int unsigned NOT NULL DEFAULT 0,
  sub_type tinyint(4) NOT NULL DEFAULT 0,
  thread int unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, forum_id, thread),
  KEY forum_id (forum_id, thread, sub_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}groups (
  group_id int unsigned NOT NULL AUTO_INCREMENT,
  name varchar(255) NOT NULL DEFAULT '',
  open tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}forum_group_xref (
  forum_id int unsigned NOT NULL DEFAULT 0,
  group_id int unsigned NOT NULL DEFAULT 0,
  permission int unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (forum_id, group_id),
  KEY group_id (group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}user_group_xref (
  user_id int unsigned NOT NULL DEFAULT 0,
  group_id int unsigned NOT NULL DEFAULT 0,
  status tinyint(4) NOT NULL DEFAULT 1,
  PRIMARY KEY (user_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}user_permissions (
  user_id int unsigned NOT NULL DEFAULT 0,
  forum_id int unsigned NOT NULL DEFAULT 0,
  permission int unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, forum_id),
  KEY forum_id (forum_id, permission)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}user_newflags (
  user_id int unsigned NOT NULL DEFAULT 0,
  forum_id int unsigned NOT NULL DEFAULT 0,
  message_id int unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, forum_id, message_id),
  KEY move (message_id, forum_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}user_custom_fields (
  user_id int unsigned NOT NULL DEFAULT 0,
  type int unsigned NOT NULL DEFAULT 0,
  data text NOT NULL,
  PRIMARY KEY (user_id, type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}banlists (
  id int unsigned NOT NULL AUTO_INCREMENT,
  forum_id int unsigned NOT NULL DEFAULT 0,
  type tinyint(4) NOT NULL DEFAULT 0,
  pcre tinyint(1) NOT NULL DEFAULT 0,
  string varchar(255) NOT NULL DEFAULT '',
  comments text NOT NULL,
  PRIMARY KEY (id),
  KEY forum_id (forum_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}pm_messages (
  pm_message_id int unsigned NOT NULL AUTO_INCREMENT,
  user_id int unsigned NOT NULL DEFAULT 0,
  author varchar(255) NOT NULL DEFAULT '',
  subject varchar(100) NOT NULL DEFAULT '',
  message text NOT NULL,
  datestamp int unsigned NOT NULL DEFAULT 0,
  meta mediumtext NOT NULL,
  PRIMARY KEY (pm_message_id),
  KEY user_id (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE {prefix}pm_xref (
  pm_xref_id int unsigned NOT NULL AUTO_INCREMENT,
  user_id int unsigned NOT NULL DEFAULT 0,
  pm_folder_id int unsigned NOT NULL DEFAULT 0,
  special_folder varchar(10) NULL DEFAULT NULL,
  pm_message_id int unsigned NOT NULL DEFAULT 0,
  read_flag tinyint(1) NOT NULL DEFAULT 0,
  reply_flag tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (pm_xref_id),
  KEY xref (user_id, pm_folder_id, pm_message_id),
  KEY read_flag (read_flag)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;

CREATE TABLE {prefix}settings (
  name varchar(255) NOT NULL DEFAULT '',
  type enum('V','S') NOT NULL DEFAULT 'V',
  data text NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
