PROJECTS
project_id;cost;name
1;10;Benches
2;20;Trees
VOTES
voter_id;vote
v1;1,2
v2;2
