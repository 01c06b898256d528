// Test-harness plugin, not product code. The integ-test-zip of Elasticsearch 8.x leaves out the
// `rest-root` module, so its nodes answer `GET /` with 405 while every real 8.x install answers
// with the node, cluster and version. The harness installs this small stand-in for that module
// into the unpacked test distribution only; it reports the running node's real values.
package org.octane.testsupport;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;

public class OctaneTestRestRoot extends Plugin implements ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(Settings settings, NamedWriteableRegistry registry,
            RestController controller, ClusterSettings clusterSettings, IndexScopedSettings indexScopedSettings,
            SettingsFilter settingsFilter, IndexNameExpressionResolver resolver, Supplier<DiscoveryNodes> nodes,
            Predicate<NodeFeature> clusterSupportsFeature) {
        return List.of(new Root());
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private final class Root extends BaseRestHandler {
        @Override
        public String getName() {
            return "octane_test_rest_root";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            return channel -> {
                ClusterState state = clusterService.state();
                Build b = Build.current();
                String json = "{\n"
                    + "  \"name\" : " + q(clusterService.localNode().getName()) + ",\n"
                    + "  \"cluster_name\" : " + q(state.getClusterName().value()) + ",\n"
                    + "  \"cluster_uuid\" : " + q(state.metadata().clusterUUID()) + ",\n"
                    + "  \"version\" : {\n"
                    + "    \"number\" : " + q(b.version()) + ",\n"
                    + "    \"build_flavor\" : " + q(b.flavor()) + ",\n"
                    + "    \"build_type\" : " + q(b.type().displayName()) + ",\n"
                    + "    \"build_hash\" : " + q(b.hash()) + ",\n"
                    + "    \"build_date\" : " + q(b.date()) + ",\n"
                    + "    \"build_snapshot\" : " + b.isSnapshot() + ",\n"
                    + "    \"lucene_version\" : " + q(org.apache.lucene.util.Version.LATEST.toString()) + ",\n"
                    + "    \"minimum_wire_compatibility_version\" : " + q(b.minWireCompatVersion()) + ",\n"
                    + "    \"minimum_index_compatibility_version\" : " + q(b.minIndexCompatVersion()) + "\n"
                    + "  },\n"
                    + "  \"tagline\" : \"You Know, for Search\"\n"
                    + "}\n";
                channel.sendResponse(new RestResponse(RestStatus.OK, "application/json; charset=UTF-8", json));
            };
        }

        @Override
        public boolean canTripCircuitBreaker() {
            return false;
        }
    }
}
