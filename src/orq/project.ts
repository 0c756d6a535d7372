/** A project of the workspace, from `GET /v2/projects`: what turns a project id into a name. */
export interface Project {
  readonly id: string;
  readonly name: string;
  readonly archived: boolean;
}
