// Requests the routing bench labels complex by what they ask for, not by how they are worded:
// each needs several dependent steps of work (a derivation, a diagnosis, a design with
// trade-offs, a multi-part analysis, or reading and changing code) that a small model commonly
// gets wrong. They were written for this bench in plain, varied wording; several on purpose carry
// none of the router's marker words, so the share that reaches the large model is not a given.

export const COMPLEX_PROMPTS = [
  // Derivations and proofs.
  'Prove that there are infinitely many primes of the form 4k + 3.',
  'Derive the closed form of the sum of the first n cubes and show that it equals the square of the sum of the first n integers.',
  'Show that every bounded monotone sequence of real numbers converges, using only the completeness axiom.',
  'A bag holds 5 red and 7 blue balls. Three are drawn without replacement. Work out the probability that exactly two are red, and then the expected number of red balls, showing each step.',
  'Solve the recurrence T(n) = 3T(n/4) + n log n and justify which case of the master theorem applies.',
  'Is the language of balanced parentheses regular? Give a rigorous argument either way.',
  'Three friends split a bill: the first pays twice what the second pays, the third pays 15 more than the second, and the total is 175. How much does each pay? Set up the equations and check the answer.',
  'Compute the determinant of the 4x4 matrix with rows (2,0,1,3), (1,4,0,2), (0,1,5,1), (3,2,1,0), and explain the expansion you used.',
  // Code: reading, fixing, writing.
  "Here is my function:\n```python\ndef median(xs):\n    xs.sort()\n    return xs[len(xs) // 2]\n```\nIt gives wrong answers for some inputs and also changes the caller's list. Fix both problems and add tests for the edge cases.",
  'My Node service crashes under load with this:\n```\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at async handleUpload (/srv/app/upload.js:41:17)\n```\nThe upload handler buffers the whole file before writing it to S3. Rewrite it to stream, with backpressure, and explain what changes in memory use.',
  'Traceback (most recent call last):\n  File "etl.py", line 88, in <module>\n    rows = merge(left, right)\n  File "etl.py", line 52, in merge\n    key = (r["id"], r["date"])\nKeyError: \'date\'\nThe right-hand file sometimes has "Date" instead of "date". Make merge robust to this and to missing keys, and say how you would test it.',
  'Write a TypeScript function that parses an ISO 8601 duration such as P3DT4H5M into milliseconds, rejecting malformed input, with unit tests.',
  'Implement an LRU cache in Go with O(1) get and put, safe for concurrent use, and explain the locking choices.',
  "This SQL is slow on a 200 million row table:\n```sql\nSELECT user_id, COUNT(*) FROM events WHERE created_at > now() - interval '7 days' GROUP BY user_id ORDER BY 2 DESC LIMIT 20;\n```\nWhat indexes or schema changes would make it fast, and what does each cost on writes?",
  'Refactor this callback code to async/await without changing behaviour:\n```js\nfunction load(id, cb) {\n  db.get(id, (err, row) => {\n    if (err) return cb(err);\n    cache.set(id, row, () => cb(null, row));\n  });\n}\n```',
  'A React component re-renders on every keystroke in an unrelated input and the page stutters. Walk through how you would find the cause with the profiler, and the three most likely fixes.',
  'Write a bash script that rotates log files in a directory: keep the newest 7, gzip the rest, and never touch a file still open by a process.',
  'Review this Rust snippet for soundness:\n```rust\nunsafe fn first<T>(v: &Vec<T>) -> &T { &*v.as_ptr() }\n```\nWhen is it undefined behaviour, and how should it be written?',
  // Design and trade-offs.
  'We run a single Postgres primary at 80% CPU with read-heavy traffic. Lay out the options (read replicas, caching, partitioning, a bigger machine), their costs and risks, and recommend an order to try them.',
  'Design a rate limiter for an API gateway spread across three regions, where each user may make 100 requests per minute globally. Cover the data structure, the consistency model and what happens when a region is cut off.',
  'Our mobile app must work offline and sync notes edited on several devices. Propose a sync design, how conflicts are resolved, and what the server stores.',
  "Plan the migration of a monolith's user table to a separate service with zero downtime, including the dual-write phase, backfill and cut-over checks.",
  'Should a five-person startup use Kubernetes for its first product? Weigh the operational load against the alternatives and give a recommendation with the conditions that would change it.',
  'Choose between event sourcing and a plain relational model for an accounting ledger that needs an audit trail and monthly reports, and describe the schema you would use.',
  "How would you shard a chat application's message store so that loading a conversation stays one query, while no shard grows hot when a celebrity group chat goes viral?",
  // Multi-part analysis and planning.
  'Read these quarterly figures and tell me what changed and what to check next:\nQ1 revenue 1.20M, churn 3.1%, CAC 410\nQ2 revenue 1.35M, churn 3.4%, CAC 455\nQ3 revenue 1.38M, churn 4.2%, CAC 530\nQ4 revenue 1.36M, churn 5.0%, CAC 610',
  'Compare the causes of the 1929 crash and the 2008 financial crisis: what was similar in the build-up, what differed in the policy response, and what each taught regulators.',
  'I have 6 weeks to prepare for a backend engineering interview loop. Build me a week-by-week plan covering algorithms, system design and behavioural questions, with how to check progress each week.',
  'Our A/B test shows a 2% lift in conversion with p = 0.04, but the test was stopped early when it first crossed significance. Is the result trustworthy? Explain the problem and what we should do instead.',
  'A train leaves A at 9:00 at 80 km/h; another leaves B, 300 km away, at 9:30 at 100 km/h towards A. When and where do they meet? Then redo it if the second train stops for 10 minutes halfway.',
  'Summarise the main arguments for and against a carbon tax versus cap-and-trade, then say which you would pick for a mid-sized economy heavily dependent on coal, and why.',
  'Translate this product requirement into user stories with acceptance criteria: "Managers can approve or reject expense reports; reports over 5,000 need a second approver; rejected reports go back to the employee with a reason."',
  'Our on-call engineers get 40 pages a week, half of them false. Propose a plan to cut the noise: what to measure first, which alerts to change, and how to know it worked.',
  "Explain how TLS 1.3 establishes keys, what forward secrecy means here, and what an attacker who later steals the server's private key can and cannot read.",
  'Given a graph of 10,000 cities and road distances, I need the shortest delivery route that visits 12 chosen cities once. Which algorithm fits, how long will it take, and what heuristics would you add if there were 60 cities instead?',
  'Diagnose this: our web app is fast for most users but takes 8 seconds to load for users in Australia only, and only on the first visit of the day.',
  'A customer claims our invoice double-charged them. Outline the investigation across the payments provider, our database and the logs, in order, and what evidence would settle it.',
  'List the steps to set up a reproducible Python data-science environment for a team of ten, covering dependency pinning, GPU drivers, notebooks in version control and onboarding.',
  'Estimate how many piano tuners work in Chicago, stating each assumption, and then say which assumption the answer is most sensitive to.',
  'Write a short essay on whether large language models understand language, presenting the strongest argument on each side before concluding.',
];

// Written after the estimate's features were revised against the prompts above and the first 120
// simple questions, and never used to tune it: the bench reports them on their own, as a check
// that the revision did not just learn the development prompts.
export const HELD_OUT_COMPLEX_PROMPTS = [
  'My landlord wants to raise the rent by 12% while the lease says increases are capped at inflation, which was 3.4% last year. What are my options, and what should I write in a reply to keep things civil?',
  'Find the bug: a binary search in Java loops forever when the target is larger than every element. The loop is while (lo < hi) { mid = (lo + hi) / 2; if (a[mid] < t) lo = mid; else hi = mid; }',
  'A company has 3 warehouses and 5 stores with known supply, demand and shipping costs. Formulate this as a linear program and describe how the simplex method would find the cheapest plan.',
  'Why does adding an index sometimes make a PostgreSQL query slower, and how can I tell from EXPLAIN ANALYZE output which plan the planner chose and why?',
  'Draft a data retention policy for a SaaS product with EU customers: what to keep, for how long, how deletion requests are honoured across backups, and who signs off.',
  'Our Kafka consumers lag by hours every Monday morning but catch up by noon. What could cause a weekly pattern like that, and how would you confirm each suspect?',
  'Convert this recursive Fibonacci into an iterative version with memoisation, then compare the time and space complexity of the two:\n```python\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n```',
  'I am choosing between two job offers: one pays 20% more but needs a 90-minute commute; the other is remote with slower career growth. Help me think this through with a structured comparison.',
  'Describe how a garbage collector with generational collection decides what to promote, why most objects die young, and what pauses a program sees.',
  'Given monthly sales of 120, 135, 128, 150, 162, 158, 171 and 185 units, fit a simple trend, forecast the next three months, and say how confident you are.',
  'Create a SQL schema for a library system with books, copies, members, loans and reservations, including the constraints that stop a copy being lent twice at once.',
  'How should a small team roll out feature flags without ending up with hundreds of stale flags a year later? Cover naming, ownership, expiry and clean-up.',
  'Check this argument for flaws: every successful startup had a visionary founder; our founder is a visionary; therefore we will succeed.',
  'A patient information leaflet needs to explain to a 12-year-old why a course of antibiotics must be finished even when they feel better. Write it, then list what a doctor should review.',
  'Set up continuous deployment for a Node API to two environments with GitHub Actions: tests on every push, staging on merge to main, production on a tag, and a rollback path.',
];
