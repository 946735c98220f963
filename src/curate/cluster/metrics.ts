// Clustering scores against a gold partition: B-cubed precision/recall/F1 (Bagga & Baldwin 1998) and
// the adjusted Rand index (Hubert & Arabie 1985). Both take parallel arrays of labels per item.

export interface ClusteringScores {
  precision: number;
  recall: number;
  f1: number;
  ari: number;
  clusters: number;
}

function groupSizes(labels: readonly string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  return sizes;
}

export function scoreClustering(predicted: readonly string[], gold: readonly string[]): ClusteringScores {
  if (predicted.length !== gold.length) throw new Error('label arrays differ in length');
  const n = predicted.length;
  const predictedSizes = groupSizes(predicted);
  const goldSizes = groupSizes(gold);
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${predicted[i]}\u0000${gold[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  // B³: per item, |own predicted cluster ∩ own gold class| / |predicted cluster| (precision), / |gold class| (recall).
  let precision = 0;
  let recall = 0;
  for (let i = 0; i < n; i++) {
    const overlap = joint.get(`${predicted[i]}\u0000${gold[i]}`)!;
    precision += overlap / predictedSizes.get(predicted[i]!)!;
    recall += overlap / goldSizes.get(gold[i]!)!;
  }
  precision /= n || 1;
  recall /= n || 1;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

  const pairs = (x: number) => (x * (x - 1)) / 2;
  let sumJoint = 0;
  for (const v of joint.values()) sumJoint += pairs(v);
  let sumPredicted = 0;
  for (const v of predictedSizes.values()) sumPredicted += pairs(v);
  let sumGold = 0;
  for (const v of goldSizes.values()) sumGold += pairs(v);
  const expected = (sumPredicted * sumGold) / (pairs(n) || 1);
  const maximum = (sumPredicted + sumGold) / 2;
  const ari = maximum === expected ? (sumJoint === expected ? 1 : 0) : (sumJoint - expected) / (maximum - expected);
  return { precision, recall, f1, ari, clusters: predictedSizes.size };
}
