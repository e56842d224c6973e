META
key;value
description;test
num_projects;2
num_votes;2
budget;30
vote_type;approval
PROJECTS
project_id;cost;name
1;10;Benches
2;20;Trí €ees
VOTES
voter_id;vote
v1;1,2
v2;2
