"""newsbrief: a bilingual news-brief board."""
