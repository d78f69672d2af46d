// The six AI-over-data methods of the official SDK against a real server with the real local
// embedding model, on a small data set whose right answers are obvious to a person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runWithSdk, dialect, nodeCount } from './server.mjs';

const env = {
  HATBOX__Plans__sdkai__RequestsPerMinute: '1000000',
  HATBOX__Plans__sdkai__RequestsPerMonth: '100000000',
  // Small enough that the product table is over it, so the cap's refusal can be seen.
  HATBOX__Ai__MaxAnomalyRows: '20',
};

const products = [
  ['AU-1001-H', 'Wireless over-ear headphones', 'Bluetooth headphones with active noise cancelling and a 30 hour battery', 'audio'],
  ['AU-1002-E', 'True wireless earbuds', 'Small in-ear buds with a charging case, for music and calls', 'audio'],
  ['AU-1003-S', 'Portable speaker', 'Waterproof bluetooth speaker with deep bass for the beach', 'audio'],
  ['AU-1004-T', 'Turntable', 'Belt-driven record player for vinyl albums with a built-in preamp', 'audio'],
  ['AU-1005-B', 'Soundbar', 'Home theatre soundbar with a wireless subwoofer for your TV', 'audio'],
  ['AU-1006-M', 'Studio monitor headphones', 'Closed-back wired headphones for mixing and recording music', 'audio'],
  ['KT-4471-Q', 'Cast iron skillet', 'Pre-seasoned frying pan for searing steak and baking cornbread', 'kitchen'],
  ['KT-4472-D', 'Dutch oven', 'Enamelled pot for slow-cooked stews, soups and braised meat', 'kitchen'],
  ['KT-4473-K', 'Chef knife', 'Eight inch stainless steel knife for chopping vegetables', 'kitchen'],
  ['KT-4474-B', 'Stand mixer', 'Kitchen mixer with a dough hook for bread and cake batter', 'kitchen'],
  ['KT-4475-C', 'Espresso machine', 'Pump espresso maker with a milk frother for cappuccino', 'kitchen'],
  ['KT-4476-W', 'Non-stick wok', 'Carbon steel wok for stir-frying noodles and vegetables', 'kitchen'],
  ['GD-7701-S', 'Garden hose', 'Expandable fifty foot hose with a spray nozzle for watering plants', 'garden'],
  ['GD-7702-P', 'Pruning shears', 'Sharp bypass secateurs for trimming roses and shrubs', 'garden'],
  ['GD-7703-L', 'Lawn mower', 'Cordless electric mower for cutting grass in small yards', 'garden'],
  ['GD-7704-R', 'Raised garden bed', 'Cedar planter box for growing tomatoes, herbs and lettuce', 'garden'],
  ['GD-7705-C', 'Compost bin', 'Tumbling composter that turns kitchen scraps into soil for the garden', 'garden'],
  ['GD-7706-T', 'Seed starter tray', 'Tray with a humidity dome for sprouting seeds indoors before planting', 'garden'],
  ['RN-3301-S', 'Trail running shoes', 'Grippy lightweight shoes for running on muddy mountain trails', 'running'],
  ['RN-3302-W', 'GPS running watch', 'Sports watch that tracks pace, distance and heart rate on your runs', 'running'],
  ['RN-3303-V', 'Hydration vest', 'Lightweight running vest that carries water bottles on long runs', 'running'],
  ['RN-3304-R', 'Road running shoes', 'Cushioned sneakers for marathon training on pavement', 'running'],
  ['RN-3305-J', 'Running jacket', 'Windproof reflective jacket for jogging at night', 'running'],
  ['RN-3306-B', 'Foam roller', 'Massage roller for sore leg muscles after a long run', 'running'],
];

const notes = [
  'It rained all morning and the afternoon stayed cloudy and cold.',
  'Sunny skies today with a light breeze from the west.',
  'Heavy rain is expected tonight with strong winds.',
  'A thunderstorm rolled in this evening and the temperature dropped.',
  'Clear and warm weather all day, perfect for a walk outside.',
  'Fog in the early morning, clearing to sunshine by noon.',
  'Snow fell overnight and the roads were icy this morning.',
  'The forecast says showers tomorrow and a cool breeze.',
  'Hot and humid weather today, with a chance of storms later.',
  'Drizzle and grey clouds for most of the day.',
  'Windy and chilly this afternoon, with a few sunny spells.',
  'Freezing temperatures tonight with frost by morning.',
  // Planted outliers: nothing to do with the weather.
  'The quarterly tax return must list every depreciation schedule of the company.',
  'Compile the Rust crate with link-time optimisation and strip debug symbols.',
];

let server;
let boot;
before(async () => {
  server = await startServer(env);
  boot = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'ai@example.test', '--password', 'sdk test password',
    '--org', 'AI Org', '--workspace', 'ai-tests', '--plan', 'sdkai', '--json'));
  const values = (rows) => rows.map((r) => `(${r.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`).join(', ');
  sdk(`
    await client.db.executeQuery({ query: 'CREATE TABLE products (id ${dialect.id}, sku TEXT, name TEXT, description TEXT, category TEXT, price REAL)' });
    await client.db.executeQuery({ query: ${JSON.stringify(`INSERT INTO products (sku, name, description, category) VALUES ${values(products)}`)} });
    await client.db.executeQuery({ query: 'CREATE TABLE notes (id ${dialect.id}, body TEXT)' });
    await client.db.executeQuery({ query: ${JSON.stringify(`INSERT INTO notes (body) VALUES ${values(notes.map((n) => [n]))}`)} });
    await client.db.executeQuery({ query: 'CREATE TABLE readings (id ${dialect.id}, value REAL, at INTEGER)' });
    return true;
  `);
  // The first search opens each table's index and waits for its backfill. Each node keeps its own
  // index in memory, so on three nodes (HATBOX_SDK_NODES=3) each is warmed: one SDK process per node.
  for (let node = 0; node < nodeCount; node++) waitIndexed('products');
  for (let node = 0; node < nodeCount; node++) waitIndexed('notes');
});
after(async () => { await server?.stop(); });

function sdk(body, target = server, apiKey = boot.apiKey) {
  return runWithSdk(target, apiKey, `
    import Worqhat from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    const failure = (error) => ({ status: error.status, code: error.error?.error?.code });
    const result = await (async () => { ${body} })();
    console.log(JSON.stringify(result));
  `);
}

function waitIndexed(table, target = server, apiKey = boot.apiKey) {
  return sdk(`
    for (let i = 0; i < 300; i++) {
      const r = await client.db.semanticSearch({ table: '${table}', query: 'warm up', limit: 1 });
      if (r._meta.index_status.state === 'ready') return r._meta.index_status;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error('index never became ready');
  `, target, apiKey);
}

const categoryOf = (record) => record.category;

test('semanticSearch finds a paraphrase\'s category, applies filters before ranking, and answers the SDK\'s fields', () => {
  const answer = sdk(`
    const music = await client.db.semanticSearch({ table: 'products', query: 'something to listen to songs without cables', limit: 3 });
    const cooking = await client.db.semanticSearch({ table: 'products', query: 'cookware for making dinner', limit: 3 });
    const filtered = await client.db.semanticSearch({ table: 'products', query: 'something to listen to songs without cables', filters: { category: 'garden' }, limit: 5 });
    const strict = await client.db.semanticSearch({ table: 'products', query: 'wireless headphones', threshold: 0.99 });
    const both = await client.db.semanticSearch({ tables: ['products', 'notes'], query: 'stormy weather tonight', limit: 3 });
    return { music, cooking, filtered, strict, both };
  `);
  assert.equal(answer.music.success, true);
  assert.deepEqual(answer.music.results.map((r) => categoryOf(r.record)), ['audio', 'audio', 'audio']);
  assert.deepEqual(answer.cooking.results.map((r) => categoryOf(r.record)), ['kitchen', 'kitchen', 'kitchen']);
  const scores = answer.music.results.map((r) => r.similarity);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  assert.ok(scores[0] > 0.3 && scores[0] <= 1);
  assert.equal(answer.music.results[0].table, 'products');
  assert.ok(Array.isArray(answer.music.results[0]._meta.matched_fields));
  assert.equal(answer.music.query_embedding_preview.length, 5);
  assert.equal(typeof answer.music.executionTime, 'number');
  assert.equal(answer.music._meta.index_status.state, 'ready');
  assert.equal(answer.music._meta.index_status.total, products.length);
  assert.ok(answer.filtered.results.length > 0);
  assert.ok(answer.filtered.results.every((r) => r.record.category === 'garden'));
  assert.deepEqual(answer.strict.results, []);
  assert.equal(answer.both.results[0].table, 'notes');
});

test('hybridSearch ranks the row with an exact SKU first and reports both scores', () => {
  const answer = sdk(`
    const sku = await client.db.hybridSearch({ table: 'products', query: 'KT-4474-B', limit: 5 });
    const words = await client.db.hybridSearch({ table: 'products', query: 'espresso cappuccino', text_columns: ['name', 'description'], keyword_weight: 0.5, semantic_weight: 0.5 });
    const badColumn = await client.db.hybridSearch({ table: 'products', query: 'x', text_columns: ['nope'] }).catch(failure);
    return { sku, words, badColumn };
  `);
  const first = answer.sku.results[0];
  assert.equal(first.record.sku, 'KT-4474-B');
  assert.equal(first.keyword_score, 1);
  assert.ok(first.combined_score > answer.sku.results[1].combined_score);
  assert.equal(typeof first.semantic_score, 'number');
  assert.deepEqual(first._meta.weights, { semantic: 0.7, keyword: 0.3 });
  assert.equal(answer.sku.query_embedding_preview.length, 5);
  assert.equal(answer.words.results[0].record.name, 'Espresso machine');
  assert.deepEqual(answer.badColumn, { status: 400, code: 'parameter_invalid' });
});

test('findSimilar answers the source record and neighbours of its kind, without itself', () => {
  const answer = sdk(`
    return {
      similar: await client.db.findSimilar({ table: 'products', record_id: 19, limit: 3 }),
      withSelf: await client.db.findSimilar({ table: 'products', record_id: '19', exclude_self: false, limit: 1 }),
      missing: await client.db.findSimilar({ table: 'products', record_id: 9999 }).catch(failure),
      across: await client.db.findSimilar({ table: 'products', record_id: 19, target_table: 'notes', limit: 1 }),
    };
  `);
  assert.equal(answer.similar.source_record.sku, 'RN-3301-S');
  assert.ok(answer.similar.similar_records.every((r) => r.record.id !== 19));
  assert.ok(answer.similar.similar_records.filter((r) => r.record.category === 'running').length >= 2);
  assert.equal(answer.withSelf.similar_records[0].record.id, 19);
  assert.ok(answer.withSelf.similar_records[0].similarity > 0.99);
  assert.deepEqual(answer.missing, { status: 404, code: 'record_not_found' });
  assert.equal(answer.across.similar_records[0].table, 'notes');
});

test('recommend: similar and diverse never return their sources or excluded ids; popular needs no source', () => {
  const answer = sdk(`
    return {
      similar: await client.db.recommend({ table: 'products', record_id: 1, limit: 4 }),
      history: await client.db.recommend({ table: 'products', user_history: ['7', '8'], exclude_ids: ['9'], limit: 3 }),
      diverse: await client.db.recommend({ table: 'products', record_id: 1, strategy: 'diverse', limit: 4 }),
      popular: await client.db.recommend({ table: 'products', strategy: 'popular', limit: 3 }),
      noSource: await client.db.recommend({ table: 'products' }).catch(failure),
      badStrategy: await client.db.recommend({ table: 'products', record_id: 1, strategy: 'random' }).catch(failure),
    };
  `);
  assert.equal(answer.similar.strategy, 'similar');
  assert.ok(answer.similar.recommendations.every((r) => r.record.id !== 1));
  assert.ok(answer.similar.recommendations.slice(0, 3).every((r) => r.record.category === 'audio'));
  assert.equal(answer.similar.recommendations[0]._meta.source, 'record');
  assert.ok(answer.history.recommendations.every((r) => ![7, 8, 9].includes(r.record.id)));
  assert.ok(answer.history.recommendations.filter((r) => r.record.category === 'kitchen').length >= 2);
  assert.equal(answer.history.recommendations[0]._meta.source, 'user_history');
  assert.equal(answer.diverse.strategy, 'diverse');
  assert.equal(answer.diverse.recommendations.length, 4);
  assert.ok(answer.diverse.recommendations.every((r) => r.record.id !== 1));
  // Diversity spreads out: MMR brings in more categories than plain similarity does.
  const categories = (list) => new Set(list.map((r) => r.record.category)).size;
  assert.ok(categories(answer.diverse.recommendations) >= categories(answer.similar.recommendations));
  assert.equal(answer.popular.recommendations.length, 3);
  assert.deepEqual(answer.noSource, { status: 400, code: 'parameter_missing' });
  assert.deepEqual(answer.badStrategy, { status: 400, code: 'parameter_invalid' });
});

test('cluster separates the four obvious groups and picks k by silhouette', () => {
  const answer = sdk(`
    return {
      four: await client.db.cluster({ table: 'products', num_clusters: 4 }),
      auto: await client.db.cluster({ table: 'products', min_clusters: 2, max_clusters: 6 }),
    };
  `);
  const four = answer.four;
  assert.equal(four.optimal_k, 4);
  assert.equal(four.clusters.length, 4);
  assert.equal(four.clusters.reduce((n, c) => n + c.size, 0), products.length);
  for (const cluster of four.clusters) {
    assert.equal(cluster.centroid.length, 10);
    assert.ok(cluster.sample_records.length >= 3);
    const counts = {};
    for (const r of cluster.sample_records) counts[r.category] = (counts[r.category] ?? 0) + 1;
    assert.ok(Math.max(...Object.values(counts)) >= cluster.sample_records.length - 1, JSON.stringify(counts));
    assert.equal(typeof cluster.label, 'string');
    assert.ok(cluster.label.length > 0);
  }
  assert.ok(four.silhouette_score > 0 && four.silhouette_score <= 1);
  assert.ok(four.iterations >= 1);
  assert.ok(answer.auto.optimal_k >= 2 && answer.auto.optimal_k <= 6);
});

test('detectAnomalies scores the planted outliers highest', () => {
  const answer = sdk(`return await client.db.detectAnomalies({ table: 'notes', k: 3, threshold: 0, limit: 14 });`);
  assert.equal(answer.total_records, notes.length);
  assert.deepEqual(answer.parameters, { k: 3, threshold: 0 });
  const top = answer.anomalies.slice(0, 2).map((a) => a.record.id).sort((a, b) => a - b);
  assert.deepEqual(top, [13, 14]);
  assert.equal(answer.anomalies[0].anomaly_score, 1);
  assert.equal(answer.anomalies[0].nearest_neighbors.length, 3);
  assert.equal(typeof answer.anomalies[0].avg_distance, 'number');
  const scores = answer.anomalies.map((a) => a.anomaly_score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
});

test('writes by insert, update, delete and raw SQL show in results within 2 seconds', () => {
  const answer = sdk(`
    const find = async (query) => (await client.db.semanticSearch({ table: 'products', query, limit: 1 })).results[0]?.record;
    const until = async (check) => {
      const started = Date.now();
      while (Date.now() - started < 2000) { if (await check()) return Date.now() - started; }
      return -1;
    };
    const inserted = await client.db.insertRecord({ table: 'products', data: { sku: 'CP-9001-L', name: 'Camping lantern', description: 'Solar powered LED lantern for tents and campsites', category: 'outdoor' } });
    const id = inserted.data.id;
    const afterInsert = await until(async () => (await find('a light for my tent when camping'))?.id === id);
    await client.db.updateRecords({ table: 'products', where: { id }, data: { name: 'Violin', description: 'Handmade violin with a bow and a hard case' } });
    const afterUpdate = await until(async () => (await find('a string instrument for an orchestra'))?.id === id);
    await client.db.deleteRecords({ table: 'products', where: { id } });
    const afterDelete = await until(async () => (await find('a string instrument for an orchestra'))?.id !== id);
    await client.db.executeQuery({ query: "INSERT INTO products (sku, name, description, category) VALUES ('TY-5001-K', 'Kite', 'Colourful stunt kite for windy days at the beach', 'toys')" });
    const afterRaw = await until(async () => (await find('flying toy for a windy day'))?.sku === 'TY-5001-K');
    await client.db.executeQuery({ query: "DELETE FROM products WHERE sku = 'TY-5001-K'" });
    const afterRawDelete = await until(async () => (await find('flying toy for a windy day'))?.sku !== 'TY-5001-K');
    return { afterInsert, afterUpdate, afterDelete, afterRaw, afterRawDelete };
  `);
  for (const [step, ms] of Object.entries(answer)) assert.ok(ms >= 0, `${step} not seen within 2 s`);
});

test('another environment and another workspace see none of these rows', () => {
  const other = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'other-ai@example.test', '--password', 'sdk test password',
    '--org', 'Other AI Org', '--workspace', 'ai-other', '--plan', 'sdkai', '--json'));
  const staging = sdk(`
    await client.db.executeQuery({ query: 'CREATE TABLE products (id ${dialect.id}, name TEXT)', environment: 'staging' });
    await client.db.insertRecord({ table: 'products', data: { name: 'Staging only teapot' }, environment: 'staging' });
    for (let i = 0; i < 100; i++) {
      const r = await client.db.semanticSearch({ table: 'products', query: 'wireless headphones', environment: 'staging' });
      if (r._meta.index_status.state === 'ready' && r.results.length > 0) return r;
      await new Promise((done) => setTimeout(done, 50));
    }
    return null;
  `);
  assert.deepEqual(staging.results.map((r) => r.record.name), ['Staging only teapot']);
  const stranger = sdk(`
    return {
      search: await client.db.semanticSearch({ table: 'products', query: 'headphones' }).catch(failure),
      similar: await client.db.findSimilar({ table: 'products', record_id: 1 }).catch(failure),
    };
  `, server, other.apiKey);
  assert.deepEqual(stranger.search, { status: 404, code: 'table_not_found' });
  assert.deepEqual(stranger.similar, { status: 404, code: 'table_not_found' });
});

test('every refusal has its status and code', () => {
  const answer = sdk(`
    const long = 'x'.repeat(2001);
    return {
      unknown: await client.db.semanticSearch({ table: 'nope', query: 'x' }).catch(failure),
      noText: await client.db.semanticSearch({ table: 'readings', query: 'x' }).catch(failure),
      noQuery: await client.db.semanticSearch({ table: 'products' }).catch(failure),
      noTable: await client.db.semanticSearch({ query: 'x' }).catch(failure),
      tooLong: await client.db.semanticSearch({ table: 'products', query: long }).catch(failure),
      limit: await client.db.semanticSearch({ table: 'products', query: 'x', limit: 101 }).catch(failure),
      zeroLimit: await client.db.hybridSearch({ table: 'products', query: 'x', limit: 0 }).catch(failure),
      badFilter: await client.db.semanticSearch({ table: 'products', query: 'x', filters: { nope: 1 } }).catch(failure),
      hostileFilter: await client.db.semanticSearch({ table: 'products', query: 'x', filters: { 'category" = 1 OR 1=1 --': 'a' } }).catch(failure),
      k: await client.db.detectAnomalies({ table: 'notes', k: 0 }).catch(failure),
      clusters: await client.db.cluster({ table: 'products', num_clusters: 1 }).catch(failure),
      maxClusters: await client.db.cluster({ table: 'products', min_clusters: 5, max_clusters: 3 }).catch(failure),
      cap: await client.db.detectAnomalies({ table: 'products' }).catch(failure),
      environment: await client.db.semanticSearch({ table: 'products', query: 'x', environment: 'qa' }).catch(failure),
    };
  `);
  assert.deepEqual(answer.unknown, { status: 404, code: 'table_not_found' });
  assert.deepEqual(answer.noText, { status: 422, code: 'no_text_columns' });
  assert.deepEqual(answer.noQuery, { status: 400, code: 'parameter_missing' });
  assert.deepEqual(answer.noTable, { status: 400, code: 'parameter_missing' });
  assert.deepEqual(answer.tooLong, { status: 400, code: 'parameter_invalid' });
  assert.deepEqual(answer.limit, { status: 400, code: 'parameter_invalid' });
  assert.deepEqual(answer.zeroLimit, { status: 400, code: 'parameter_invalid' });
  assert.deepEqual(answer.badFilter, { status: 400, code: 'column_not_found' });
  assert.deepEqual(answer.hostileFilter, { status: 400, code: 'column_not_found' });
  assert.deepEqual(answer.k, { status: 400, code: 'parameter_invalid' });
  assert.deepEqual(answer.clusters, { status: 400, code: 'parameter_invalid' });
  assert.deepEqual(answer.maxClusters, { status: 400, code: 'parameter_invalid' });
  assert.deepEqual(answer.cap, { status: 422, code: 'too_many_rows' });
  assert.deepEqual(answer.environment, { status: 400, code: 'parameter_invalid' });
});

test('after kill -9 and a restart the index is there at once, complete and right', async () => {
  await server.kill();
  server = await startServer(env, { data: server.data });
  const answer = sdk(`
    return await client.db.semanticSearch({ table: 'products', query: 'something to listen to songs without cables', limit: 1 });
  `);
  assert.equal(answer._meta.index_status.state, 'ready');
  assert.equal(answer._meta.index_status.indexed, answer._meta.index_status.total);
  assert.equal(answer.results[0].record.category, 'audio');
});
