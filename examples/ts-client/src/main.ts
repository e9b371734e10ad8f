// Runs the Active hosts report for a date range and prints a few typed fields.
//
//   MEETING_REPORTS_URL=http://127.0.0.1:8000/graphql MEETING_REPORTS_TOKEN=... \
//     node dist/main.js FROM TO        (dates as yyyy-mm-dd)
//
// Exits 1 on a transport error, a non-2xx status or any GraphQL error.
import { print } from "graphql";
import type { TadaDocumentNode } from "gql.tada";
import { graphql, known } from "./graphql.js";

const ActiveHosts = known(
  graphql(`
  query ActiveHosts($from: Date!, $to: Date!, $first: Int) {
    viewer {
      user {
        email
        role
      }
      account {
        name
      }
      privileges
    }
    activeHosts(from: $from, to: $to, first: $first) {
      totalCount
      totals {
        meetings
        participants
        meetingMinutes
      }
      nodes {
        host {
          email
        }
        meetings
        participants
        meetingMinutes
      }
    }
  }
`),
);

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

// The result and the variables are typed by the document.
async function run<Result, Variables>(
  url: string,
  token: string,
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json;q=0.9",
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const text = await response.text();
  let body: GraphQLResponse<Result>;
  try {
    body = JSON.parse(text) as GraphQLResponse<Result>;
  } catch {
    throw new Error(`HTTP ${response.status}, not a JSON body: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) {
    const errors = body.errors.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`);
    throw new Error(`HTTP ${response.status}, GraphQL errors:\n  ${errors.join("\n  ")}`);
  }
  if (!response.ok || body.data == null) {
    throw new Error(`HTTP ${response.status} without data: ${text.slice(0, 200)}`);
  }
  return body.data;
}

async function main(): Promise<void> {
  const url = process.env.MEETING_REPORTS_URL ?? "http://127.0.0.1:8000/graphql";
  const token = process.env.MEETING_REPORTS_TOKEN;
  const [from, to] = process.argv.slice(2);
  if (!token || !from || !to) {
    throw new Error("usage: MEETING_REPORTS_TOKEN=... [MEETING_REPORTS_URL=...] node dist/main.js FROM TO");
  }

  const { viewer, activeHosts } = await run(url, token, ActiveHosts, { from, to, first: 5 });
  console.log(
    `${viewer.user.email} (${viewer.user.role}) at ${viewer.account.name}: ${viewer.privileges.join(", ")}`,
  );
  console.log(
    `active hosts ${from}..${to}: ${activeHosts.totalCount}; ` +
      `${activeHosts.totals.meetings} sessions, ${activeHosts.totals.participants} participants, ` +
      `${activeHosts.totals.meetingMinutes} meeting minutes`,
  );
  for (const row of activeHosts.nodes) {
    console.log(`  ${row.host.email}: ${row.meetings} sessions, ${row.meetingMinutes} minutes`);
  }
}

main().catch((error: unknown) => {
  // fetch's own message is "fetch failed"; the reason (ECONNREFUSED, ...) is its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  console.error(`ts-client: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exit(1);
});
