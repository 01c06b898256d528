// Servers shared by the whole suite start here (Elasticsearch nodes are added by their harness).
export default function setup(): () => void {
  return () => undefined;
}
